"""The search language: words, phrases, field filters and typed ranges with units."""
import pytest

from lims.records.query import Filter, QueryError, parse


def test_it_splits_free_words_and_quoted_phrases_into_tokens():
    query = parse('titan "spectrum image" file_01.dm3')
    assert [t.tokens for t in query.texts] == [("titan",), ("spectrum", "image"), ("file", "01", "dm3")]


def test_it_reads_field_filters_including_quoted_values():
    query = parse('instrument:titan user:alice project:"big project" year:2025')
    assert query.filters == [Filter("instrument", "titan"), Filter("experimenter", "alice"),
                             Filter("project", "big project"), Filter("year", "2025")]


def test_it_converts_a_voltage_comparison_to_volts():
    (voltage,) = parse("voltage >= 200 kV").ranges
    assert voltage.keys == ("acceleration_voltage",)
    assert voltage.low == pytest.approx(200000.0) and voltage.high is None


def test_it_matches_pixel_size_on_both_axes_in_metres():
    (pixel,) = parse("pixel size < 1 nm").ranges
    assert pixel.keys == ("pixel_size_x", "pixel_size_y")
    assert pixel.low is None and pixel.high == pytest.approx(1e-9)


def test_it_reads_k_as_thousands_in_a_magnification_range():
    (mag,) = parse("magnification 10k..50k").ranges
    assert (mag.low, mag.high) == (pytest.approx(10000), pytest.approx(50000))


def test_it_reads_a_key_with_an_attached_unit_as_an_equality():
    (voltage,) = parse("acceleration_voltage:200kV").ranges
    assert voltage.low == pytest.approx(200000.0) and voltage.high == pytest.approx(200000.0)


def test_it_reads_a_bare_number_in_the_default_unit_of_the_key():
    (wd,) = parse("wd <= 5").ranges
    assert wd.high == pytest.approx(0.005)


@pytest.mark.parametrize(("text", "message"), [
    ("voltage >= 1 nm", "not a unit of acceleration voltage"),
    ("voltage >= 1nm", "voltage takes a unit like kV, not 'nm'"),
    (">= 3", "must follow a metadata name"),
    ('"unclosed', "quote is not closed"),
    ("colour:red", "Unknown field 'colour'"),
    ("year:25", "year: takes four digits"),
    ("mag 50k..10k", "runs backwards"),
    ("voltage >= lots", "'lots' is not a number"),
    ("platinum voltage 1e999..", "is not a finite number"),
])
def test_it_explains_what_is_wrong_with_a_bad_query(text, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(")):
        parse(text)
