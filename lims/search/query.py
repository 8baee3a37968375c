"""The record search language, parsed into a small tree shared by the pages, the API and `matches`.

    titan "spectrum image" user:alice format:dm3,dm4 -survey (talos OR titan)
    voltage >= 200 kV      voltage 300 kV      pixel size < 1 nm      magnification 10k..50k (or 10k..<50k)
    date:2025-03   date:2025-03-01..2025-03-31   after:2024   date:last-7-days

Words and quoted phrases match the record's text; `field:value` (values separated by commas mean
either) filters a facet; a metadata name with a comparison, an `a..b` range or a bare value
matches when any file of the record has such a value (a bare value within its written precision).
Terms are joined by AND; `OR`, `NOT`, a leading `-` and parentheses combine them. The parser is
bounded: at most MAX_QUERY_LENGTH characters, MAX_TERMS terms and MAX_DEPTH levels of nesting.
"""
import calendar
import difflib
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from records.units import UnitError, clean_unit, parse_unit, to_base
from records.vocabulary import TERMS

# Field name -> facet it filters.
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
DATE_FIELDS = ("date", "after", "before")
# A filter on a facet also matches the hidden facets listed here (a format by a file extension).
FILTER_FACETS = {"format": ("format", "extension")}
# Numeric metadata keys and the unit a bare number is read in ("" = dimensionless): every quantity
# of the vocabulary, in its display unit, and the two plain numbers people search by.
PARAMETERS = {**{key: term.unit for key, term in TERMS.items() if term.unit}, "magnification": "", "spot_size": ""}
ALIASES = {
    "voltage": ("acceleration_voltage",),
    "acceleration voltage": ("acceleration_voltage",),
    "hv": ("acceleration_voltage",),
    "kv": ("acceleration_voltage",),
    "current": ("beam_current",),
    "beam current": ("beam_current",),
    "mag": ("magnification",),
    "magnification": ("magnification",),
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
MAX_TERMS = 40
MAX_DEPTH = 8
MAX_VALUES = 20  # comma-separated values of one field
# Equal-looking values may differ in the last bits after unit conversion.
RELATIVE_TOLERANCE = 1e-9
MULTIPLIERS = {"k": 1e3, "K": 1e3, "M": 1e6}
OPERATORS = {"OR", "AND", "NOT"}

_TOKEN = re.compile(
    r'\s*(?:(?P<phrase>"[^"]*")|(?P<op>>=|<=|=|<|>)|(?P<open>\()|(?P<close>\))'
    r'|(?P<neg>-(?=[^\s\d.]))|(?P<word>(?:\.\.<|[^\s"<>=()])+(?:"[^"]*")?))'
)
_NUMBER = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(.*)$")
_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNIT_EXPRESSION = re.compile(r"^[^\W\d_]+\s*(?:\*|\^|/)")  # kV*s, nm^2, 1/nm: meant as a unit
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_LAST_DAYS = re.compile(r"^last-(\d{1,4})-(day|week)s?$")


class QueryError(ValueError):
    """The query cannot be understood; the message says what to change."""


@dataclass(frozen=True)
class Text:
    """Words that must follow each other in one part of the record (a single word, a phrase, a file name)."""

    tokens: tuple

    def __str__(self):
        return self.tokens[0] if len(self.tokens) == 1 else '"' + " ".join(self.tokens) + '"'


@dataclass(frozen=True)
class Filter:
    """A facet holding any of `values` (compared without case)."""

    facet: str
    values: tuple
    field: str = ""

    def __str__(self):
        values = ",".join(f'"{v}"' if re.search(r'[\s,()"]', v) else v for v in self.values)
        return f"{self.field or self.facet}:{values}"


@dataclass(frozen=True)
class Range:
    """Any file has a value of one of `keys` within [low, high] (SI base units; None = open)."""

    keys: tuple
    low: float | None
    high: float | None
    label: str = ""

    def __str__(self):
        return self.label


@dataclass(frozen=True)
class Dates:
    """Acquired on a day in [first, last] (either may be None), in the instrument's time zone.

    `relative` names a span counted back from today (`today`, `last-7-days`, `last-month` ...),
    which each instrument's own today resolves."""

    first: date | None = None
    last: date | None = None
    relative: str = ""
    label: str = ""

    def span(self, today: date) -> tuple:
        return _relative_span(self.relative, today) if self.relative else (self.first, self.last)

    def __str__(self):
        return self.label


@dataclass(frozen=True)
class Not:
    child: object

    def __str__(self):
        return f"-{self.child}" if isinstance(self.child, (Text, Filter)) else f"NOT ({self.child})"


@dataclass(frozen=True)
class And:
    children: tuple

    def __str__(self):
        return " ".join(f"({c})" if isinstance(c, Or) else str(c) for c in self.children)


@dataclass(frozen=True)
class Or:
    children: tuple

    def __str__(self):
        return " OR ".join(str(c) for c in self.children)


@dataclass
class Query:
    """A parsed search; `root` is None for an empty search (every visible record)."""

    root: object = None

    @property
    def empty(self) -> bool:
        return self.root is None

    @property
    def parts(self) -> list:
        """The terms joined by the top-level AND (the whole query when it is one term)."""
        if self.root is None:
            return []
        return list(self.root.children) if isinstance(self.root, And) else [self.root]

    def top_filters(self) -> list:
        """Facet filters that apply to every result (not under OR or NOT): they shape facet counts."""
        return [part for part in self.parts if isinstance(part, Filter)]

    def without(self, part) -> "Query":
        """The same query without one of its top-level parts."""
        rest = [p for p in self.parts if p is not part]
        return Query(None if not rest else rest[0] if len(rest) == 1 else And(tuple(rest)))

    def words(self) -> list:
        """Every Text node, wherever it sits."""
        found, stack = [], [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, Text):
                found.append(node)
            elif isinstance(node, Not):
                stack.append(node.child)
            elif isinstance(node, (And, Or)):
                stack.extend(node.children)
        return found

    def __str__(self):
        return "" if self.root is None else str(self.root)


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


def _number(text: str, key: str) -> tuple[float, str, float]:
    """'10k' -> (10000, '', 500), '1.5nm' -> (1.5, 'nm', 0.05): number, unit and half its last written digit."""
    match = _NUMBER.match(text)
    if not match:
        raise QueryError(f"{text!r} is not a number (write e.g. 200 kV, 1.5nm or 10k).")
    digits, rest = match.group(1), match.group(2)
    number = float(digits)
    mantissa, _, exponent = digits.lower().partition("e")
    power = -len(mantissa.partition(".")[2]) + (int(exponent) if exponent else 0)
    if not math.isfinite(number) or abs(power) > 300:
        raise QueryError(f"{text!r} is not a finite number.")
    half_step = 0.5 * 10.0 ** power
    if rest in MULTIPLIERS and PARAMETERS[key] == "":
        return number * MULTIPLIERS[rest], "", half_step * MULTIPLIERS[rest]
    return number, rest, half_step


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
    if value is None or not math.isfinite(value):
        raise QueryError(f"{number:g} {unit} is not a finite number.")
    return value


def _spread(value: float, up: bool) -> float:
    step = abs(value) * RELATIVE_TOLERANCE or RELATIVE_TOLERANCE
    return value + step if up else value - step


def _bounds(op: str, value: float, half_step: float) -> tuple:
    if op in (">=", ">"):
        return (_spread(value, False) if op == ">=" else _spread(value, True)), None
    if op in ("<=", "<"):
        return None, (_spread(value, True) if op == "<=" else _spread(value, False))
    # Equality means "within the written precision": 300 kV is 299.5-300.5 kV, 1.5 nm 1.45-1.55 nm.
    return _spread(value - half_step, False), _spread(value + half_step, True)


def _match_name(tokens: list, i: int) -> tuple:
    """The longest metadata name starting at tokens[i]: (keys, name, tokens used) or (None, None, 0)."""
    for size in range(MAX_NAME_WORDS, 0, -1):
        parts = tokens[i:i + size]
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
        if _UNIT_EXPRESSION.match(candidate):
            try:
                parse_unit(candidate)
            except UnitError as exc:
                raise QueryError(f"{candidate[:40]!r} is not a unit this search reads: {exc}") from None
        parsed = _unit(candidate) if len(candidate) <= 32 else None
        expected = _unit(PARAMETERS[key])
        if parsed is not None and not _NUMBER.match(candidate):
            if parsed.dimensionality != expected.dimensionality:
                raise QueryError(f"{candidate!r} is not a unit of {key.replace('_', ' ')} (e.g. {PARAMETERS[key]}).")
            return candidate, 1
    return "", 0


def _parse_value(spec: str, keys: tuple, name: str, op: str, unit_word: str = "") -> Range:
    """`spec` is '200kV', '10k..50k' or '100..300' (with `unit_word` after it) for comparison `op`."""
    key = keys[0]
    label = f"{name} {op + ' ' if op != '=' else ''}{spec}{(' ' + unit_word) if unit_word else ''}"
    if ".." in spec:
        if op != "=":
            raise QueryError(f"Use either a comparison or a range a..b for {name}, not both.")
        low_text, _, high_text = spec.partition("..")
        below = high_text.startswith("<")  # a..<b: up to b, without b
        high_text = high_text[1:] if below else high_text
        low_number, low_unit, _ = _number(low_text, key) if low_text else (None, "", 0)
        high_number, high_unit, _ = _number(high_text, key) if high_text else (None, "", 0)
        if low_number is None and high_number is None:
            raise QueryError(f"The range for {name} needs at least one end (e.g. 10k..50k).")
        low = None if low_number is None else _base_value(low_number, low_unit or high_unit or unit_word, key, name)
        high = None if high_number is None else _base_value(high_number, high_unit or low_unit or unit_word, key, name)
        if low is not None and high is not None and low > high:
            raise QueryError(f"The range for {name} runs backwards: {spec}.")
        return Range(keys, None if low is None else _spread(low, False),
                     None if high is None else _spread(high, not below), label)
    number, unit, half_step = _number(spec, key)
    value = _base_value(number, unit or unit_word, key, name)
    half_step = _base_value(half_step, unit or unit_word, key, name)
    low, high = _bounds(op, value, abs(half_step))
    return Range(keys, low, high, label)


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _values(raw: str) -> list:
    """`a,b` or `"a, b"` -> the values, each unquoted."""
    values = [_unquote(v).strip() for v in re.findall(r'"[^"]*"|[^,]+', raw)]
    return [v for v in values if v]


def _field(name: str, raw: str) -> Filter:
    facet = FIELDS[name]
    values = _values(raw)
    if not values:
        raise QueryError(f"{name}: needs a value, e.g. {name}:titan (several: {name}:titan,talos).")
    if len(values) > MAX_VALUES:
        raise QueryError(f"{name}: takes at most {MAX_VALUES} values.")
    for value in values:
        if facet == "year" and not re.fullmatch(r"\d{4}", value):
            raise QueryError(f"year: takes four digits, e.g. year:2025 (got {value!r}).")
        if facet == "month" and not re.fullmatch(r"\d{4}-\d{2}", value):
            raise QueryError(f"month: takes YYYY-MM, e.g. month:2025-03 (got {value!r}).")
    return Filter(facet, tuple(values), name)


def _day_span(text: str) -> tuple:
    """'2025' -> its first and last day; '2025-03' a month; '2025-03-14' one day."""
    match = _DAY.match(text)
    if not match:
        raise QueryError(f"{text!r} is not a date: write 2025, 2025-03, 2025-03-14 or a word like last-7-days.")
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            first = last = date(year, int(month), int(day))
        elif month:
            first = date(year, int(month), 1)
            last = date(year, int(month), calendar.monthrange(year, int(month))[1])
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise QueryError(f"{text!r} is not a date of the calendar.") from None
    return first, last


RELATIVE_DATES = ("today", "yesterday", "this-week", "last-week", "this-month", "last-month", "this-year",
                  "last-year", "last-7-days", "last-30-days")


def _relative_span(name: str, today: date) -> tuple:
    if name == "today":
        return today, today
    if name == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if name in ("this-week", "last-week"):
        monday = today - timedelta(days=today.weekday()) - timedelta(days=7 if name == "last-week" else 0)
        return monday, monday + timedelta(days=6)
    if name == "this-month":
        return today.replace(day=1), today
    if name == "last-month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if name == "this-year":
        return today.replace(month=1, day=1), today
    if name == "last-year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    count, unit = _LAST_DAYS.match(name).groups()
    days = int(count) * (7 if unit == "week" else 1)
    return today - timedelta(days=days - 1), today


def _is_relative(text: str) -> bool:
    return text in RELATIVE_DATES or bool(_LAST_DAYS.match(text))


def _dates(name: str, raw: str) -> Dates:
    value = _unquote(raw).strip().lower()
    label = f"{name}:{value}"
    if not value:
        raise QueryError(f"{name}: needs a date, e.g. {name}:2025-03 or {name}:last-7-days.")
    if _is_relative(value):
        if name != "date":
            raise QueryError(f"{name}: takes a date like 2025-03; write date:{value} for a span counted from today.")
        return Dates(relative=value, label=label)
    if name == "date" and ".." in value:
        low, _, high = value.partition("..")
        first = _day_span(low)[0] if low else None
        last = _day_span(high)[1] if high else None
        if first is None and last is None:
            raise QueryError("date: a range needs at least one end, e.g. date:2025-01..2025-03.")
        if first and last and first > last:
            raise QueryError(f"The dates run backwards: {value}.")
        return Dates(first, last, label=label)
    first, last = _day_span(value)
    if name == "after":
        return Dates(first=last + timedelta(days=1), label=label)
    if name == "before":
        return Dates(last=first - timedelta(days=1), label=label)
    return Dates(first, last, label=label)


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


class _Parser:
    """Recursive descent over the token list; nesting is bounded by MAX_DEPTH, terms by MAX_TERMS."""

    def __init__(self, tokens: list):
        self.tokens, self.i, self.terms = tokens, 0, 0

    def peek(self, offset: int = 0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else (None, None)

    def parse(self):
        node = self.or_expr(0)
        kind, value = self.peek()
        if kind == "close":
            raise QueryError("A ')' has no '(' before it.")
        return node

    def or_expr(self, depth: int):
        children = [self.and_expr(depth)]
        while self.peek() == ("word", "OR"):
            self.i += 1
            if self.peek()[0] in (None, "close"):
                raise QueryError("OR needs a term on both sides, e.g. titan OR talos.")
            children.append(self.and_expr(depth))
        children = [c for c in children if c is not None]
        if not children:
            return None
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self, depth: int):
        children = []
        while True:
            kind, value = self.peek()
            if kind is None or kind == "close" or (kind, value) == ("word", "OR"):
                break
            if (kind, value) == ("word", "AND"):
                if not children:
                    raise QueryError("AND needs a term on both sides, e.g. titan AND eels (AND may be left out).")
                self.i += 1
                if self.peek()[0] in (None, "close") or self.peek() == ("word", "OR"):
                    raise QueryError("AND needs a term on both sides, e.g. titan AND eels (AND may be left out).")
                continue
            node = self.unary(depth)
            if node is not None:
                children.append(node)
        if not children:
            return None
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self, depth: int):
        if depth > MAX_DEPTH:
            raise QueryError(f"The query nests too deeply (at most {MAX_DEPTH} levels of NOT and parentheses).")
        kind, value = self.peek()
        if kind == "neg" or (kind, value) == ("word", "NOT"):
            self.i += 1
            if self.peek()[0] in (None, "close") or self.peek() == ("word", "OR"):
                raise QueryError("NOT and - need a term after them, e.g. -survey or NOT instrument:titan.")
            child = self.unary(depth + 1)
            return None if child is None else Not(child)
        if kind == "open":
            self.i += 1
            node = self.or_expr(depth + 1)
            if self.peek()[0] != "close":
                raise QueryError("A '(' is not closed: every ( needs a ).")
            self.i += 1
            return node
        return self.term()

    def count(self):
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(f"The query has too many terms (at most {MAX_TERMS}); leave out some words.")

    def term(self):
        kind, value = self.peek()
        if kind == "phrase":
            self.i += 1
            return self.text(_unquote(value))
        if kind == "op":
            raise QueryError(f"{value!r} must follow a metadata name, e.g. voltage >= 200 kV.")
        if ":" in value and not value.startswith(":"):
            return self.field(value)
        keys, name, used = _match_name(self.tokens, self.i)
        if keys:
            node = self.comparison(keys, name, used)
            if node is not None:
                return node
        self.i += 1
        return self.text(value)

    def text(self, value: str):
        if value == "-":
            raise QueryError("NOT and - need a term after them: write -survey, with no space after the -.")
        tokens = tuple(tokenize_text(value))
        if not tokens:
            return None
        self.count()
        return Text(tokens)

    def field(self, value: str):
        name, _, raw = value.partition(":")
        lowered = name.lower()
        self.i += 1
        self.count()
        if lowered in FIELDS:
            return _field(lowered, raw)
        if lowered in DATE_FIELDS:
            return _dates(lowered, raw)
        if lowered in ALIASES:
            if not raw:
                raise QueryError(f"{name}: needs a value, e.g. {name}:200kV.")
            unit, used = _unit_after(self.tokens, self.i, ALIASES[lowered][0])
            self.i += used
            return _parse_value(raw, ALIASES[lowered], lowered, "=", unit)
        close = difflib.get_close_matches(lowered, [*FIELDS, *DATE_FIELDS, *ALIASES], n=1, cutoff=0.7)
        hint = f"did you mean {close[0]}:? " if close else ""
        known = ", ".join(sorted({*FIELDS, *DATE_FIELDS}))
        raise QueryError(f"Unknown field {name!r}: {hint}Use one of {known} or a metadata name such as voltage.")

    def comparison(self, keys: tuple, name: str, used: int):
        """`voltage >= 200 kV`, `mag 10k..50k` or `voltage 300 kV`; None when the name is just a word."""
        j = self.i + used
        kind, value = self.tokens[j] if j < len(self.tokens) else (None, None)
        op = value if kind == "op" else None
        spec_at = j + 1 if op else j
        spec_kind, spec = self.tokens[spec_at] if spec_at < len(self.tokens) else (None, "")
        bare_number = not op and spec_kind == "word" and (".." in spec or bool(_NUMBER.match(spec)))
        if not op and not bare_number:
            return None
        if spec_kind != "word":
            raise QueryError(f"{name} {op or ''} needs a value, e.g. {name} >= 200 kV.".replace("  ", " "))
        unit, unit_used = _unit_after(self.tokens, spec_at + 1, keys[0])
        self.count()
        node = _parse_value(spec, keys, name, op or "=", unit)
        self.i = spec_at + 1 + unit_used
        return node


def parse(text: str) -> Query:
    """Parse a search string into a Query; raises QueryError with a helpful message."""
    text = text or ""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is too long ({len(text)} characters; at most {MAX_QUERY_LENGTH}).")
    if _CONTROL.search(text):
        raise QueryError("The query contains a control character; type it again as plain text.")
    return Query(_Parser(_tokens(text)).parse())


def with_values(query: Query, facet: str, extra: dict) -> Query:
    """The query with each value of its filters on `facet` joined by `extra[value.lower()]` (more values)."""

    def rewrite(node):
        if isinstance(node, Filter) and node.facet == facet:
            added = [v for value in node.values for v in extra.get(value.lower(), ())]
            return Filter(facet, tuple(dict.fromkeys([*node.values, *added])), node.field) if added else node
        if isinstance(node, Not):
            return Not(rewrite(node.child))
        if isinstance(node, (And, Or)):
            return type(node)(tuple(rewrite(child) for child in node.children))
        return node

    return Query(None if query.root is None else rewrite(query.root))


def filter_values(query: Query, facet: str) -> set:
    """Every value (lowercase) the query filters `facet` on, anywhere in it."""
    found, stack = set(), [query.root] if query.root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, Filter) and node.facet == facet:
            found.update(v.lower() for v in node.values)
        elif isinstance(node, Not):
            stack.append(node.child)
        elif isinstance(node, (And, Or)):
            stack.extend(node.children)
    return found
