"""The search language: words, phrases, filters, typed ranges with units, dates, NOT/OR, and its bounds."""
import math
from datetime import date

import pytest

from lims.search.query import (
    MAX_DEPTH,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    And,
    Dates,
    Filter,
    Not,
    Or,
    QueryError,
    Range,
    Text,
    parse,
)


def _one(text):
    (part,) = parse(text).parts
    return part


def test_it_splits_free_words_and_quoted_phrases_into_tokens():
    assert parse('titan "spectrum image" file_01.dm3').parts == [
        Text(("titan",)), Text(("spectrum", "image")), Text(("file", "01", "dm3"))]


def test_it_reads_field_filters_including_quoted_and_several_values():
    assert parse('instrument:titan user:alice project:"big project" format:dm3,dm4').parts == [
        Filter("instrument", ("titan",), "instrument"), Filter("experimenter", ("alice",), "user"),
        Filter("project", ("big project",), "project"), Filter("format", ("dm3", "dm4"), "format")]


def test_it_converts_a_voltage_comparison_to_volts():
    voltage = _one("voltage >= 200 kV")
    assert voltage.keys == ("acceleration_voltage",)
    assert voltage.low == pytest.approx(200000.0) and voltage.high is None


def test_it_matches_pixel_size_on_both_axes_in_metres():
    pixel = _one("pixel size < 1 nm")
    assert pixel.keys == ("pixel_size_x", "pixel_size_y")
    assert pixel.low is None and pixel.high == pytest.approx(1e-9)


def test_it_reads_k_as_thousands_in_a_magnification_range():
    mag = _one("magnification 10k..50k")
    assert (mag.low, mag.high) == (pytest.approx(10000), pytest.approx(50000))
    assert mag.high > 50000


def test_a_range_up_to_but_without_its_upper_end():
    mag = _one("magnification 10k..<50k")
    assert mag.high == pytest.approx(50000) and mag.high < 50000


@pytest.mark.parametrize(("text", "low", "high"), [
    ("voltage 300 kV", 299500.0, 300500.0),
    ("voltage 300kV", 299500.0, 300500.0),
    ("voltage = 300 kV", 299500.0, 300500.0),
    ("acceleration_voltage:200kV", 199500.0, 200500.0),
    ("pixel size 1.5 nm", 1.45e-9, 1.55e-9),
    ("magnification 10k", 9500.0, 10500.0),
])
def test_a_value_without_a_comparison_means_equal_within_its_written_precision(text, low, high):
    value = _one(text)
    assert isinstance(value, Range)
    assert (value.low, value.high) == (pytest.approx(low), pytest.approx(high))


def test_a_metadata_name_without_a_value_is_just_a_word():
    assert parse("voltage contrast").parts == [Text(("voltage",)), Text(("contrast",))]


def test_it_reads_a_bare_number_in_the_default_unit_of_the_key():
    assert _one("wd <= 5").high == pytest.approx(0.005)


def test_it_reads_negation_or_and_parentheses():
    query = parse('-survey NOT instrument:titan (talos OR "spectrum image") eels')
    assert query.root == And((
        Not(Text(("survey",))), Not(Filter("instrument", ("titan",), "instrument")),
        Or((Text(("talos",)), Text(("spectrum", "image")))), Text(("eels",))))


def test_or_binds_looser_than_the_implicit_and():
    assert parse("a b OR c").root == Or((And((Text(("a",)), Text(("b",)))), Text(("c",))))


def test_a_hyphen_inside_a_word_or_before_a_number_is_not_a_negation():
    assert parse("build-8").parts == [Text(("build", "8"))]
    assert _one("tilt -5").low == pytest.approx(math.radians(-5.5))


def test_lowercase_or_and_not_are_plain_words():
    assert parse("salt or pepper").parts == [Text(("salt",)), Text(("or",)), Text(("pepper",))]


@pytest.mark.parametrize(("text", "first", "last"), [
    ("date:2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("date:2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("date:2025-03-14", date(2025, 3, 14), date(2025, 3, 14)),
    ("date:2025-03-01..2025-03-31", date(2025, 3, 1), date(2025, 3, 31)),
    ("date:2025-03..", date(2025, 3, 1), None),
    ("after:2025-03", date(2025, 4, 1), None),
    ("before:2025", None, date(2024, 12, 31)),
])
def test_it_reads_dates_and_date_ranges(text, first, last):
    dates = _one(text)
    assert isinstance(dates, Dates) and (dates.first, dates.last) == (first, last)


@pytest.mark.parametrize(("name", "first", "last"), [
    ("today", date(2026, 3, 11), date(2026, 3, 11)),
    ("yesterday", date(2026, 3, 10), date(2026, 3, 10)),
    ("last-7-days", date(2026, 3, 5), date(2026, 3, 11)),
    ("last-month", date(2026, 2, 1), date(2026, 2, 28)),
    ("this-month", date(2026, 3, 1), date(2026, 3, 11)),
    ("last-year", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_relative_dates_are_counted_back_from_the_given_today(name, first, last):
    assert _one(f"date:{name}").span(date(2026, 3, 11)) == (first, last)


@pytest.mark.parametrize("text", [
    'titan "spectrum image" -survey instrument:titan,talos project:"big project"',
    "voltage >= 200 kV pixel size < 1 nm magnification 10k..50k voltage 300 kV",
    "(a OR b) NOT (c d) -format:dm3 date:2025-03..2025-04 after:2024 date:last-7-days",
    "acceleration_voltage:200kV wd 5..10 mm magnification 1k..<10k",
])
def test_a_query_written_back_as_text_parses_to_the_same_query(text):
    query = parse(text)
    assert parse(str(query)) == query


@pytest.mark.parametrize(("text", "message"), [
    ("voltage >= 1 nm", "not a unit of acceleration voltage"),
    ("voltage >= 1nm", "voltage takes a unit like kV, not 'nm'"),
    (">= 3", "must follow a metadata name"),
    ('"unclosed', "quote is not closed"),
    ("colour:red", "Unknown field 'colour'"),
    ("instrumnet:titan", "did you mean instrument:"),
    ("year:25", "year: takes four digits"),
    ("mag 50k..10k", "runs backwards"),
    ("voltage >= lots", "'lots' is not a number"),
    ("platinum voltage 1e999..", "is not a finite number"),
    ("voltage:1kV**2**2**2**2**2**2", "not a unit"),
    ("voltage >= 1 kV**2**2**2**2**2**2", "not a unit this search reads"),
    ("date:2025-13", "not a date of the calendar"),
    ("date:yesteryear", "is not a date"),
    ("after:last-7-days", "write date:last-7-days"),
    ("(titan", "'(' is not closed"),
    ("titan)", "')' has no '('"),
    ("titan OR", "OR needs a term on both sides"),
    ("AND titan", "AND needs a term on both sides"),
    ("titan -", "need a term after them"),
    ("instrument:titan\x00", "control character"),
])
def test_it_explains_what_is_wrong_with_a_bad_query(text, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        parse(text)


def test_a_query_is_bounded_in_length_terms_and_nesting():
    with pytest.raises(QueryError, match="too long"):
        parse("a" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(QueryError, match="too many terms"):
        parse(" ".join(["w"] * 235))
    parse(" ".join(["w"] * MAX_TERMS))
    with pytest.raises(QueryError, match="nests too deeply"):
        parse("(" * (MAX_DEPTH + 2) + "a" + ")" * (MAX_DEPTH + 2))
    with pytest.raises(QueryError, match="nests too deeply"):
        parse("NOT " * (MAX_DEPTH + 2) + "a")
